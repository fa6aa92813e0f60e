/* tensor_io.c: in-place arithmetic, .npy saving and loading, randint and
 * randperm. */
#include "tensor_internal.h"
