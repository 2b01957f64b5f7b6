// CPrefetch is header-only (static inline functions); SwiftPM needs one source file to build the module.
#include "CPrefetch.h"
