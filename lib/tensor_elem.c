/* tensor_elem.c: comparisons, where, masked_fill, clamp, abs, min/argmin,
 * maximum/minimum, gelu, leaky_relu, softplus, sin, cos, cumsum, sort, topk. */
#include "tensor_internal.h"
