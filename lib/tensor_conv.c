/* tensor_conv.c: normalization layers, convolution and pooling, einsum. */
#include "tensor_internal.h"
