// A C target needs one source file; the header is all there is.
#include "CEpoll.h"
