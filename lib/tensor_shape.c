/* tensor_shape.c: shape ops: cat, stack, split, chunk, gather, index_select,
 * embedding, unsqueeze, squeeze, permute, expand, flatten. */
#include "tensor_internal.h"
