// libpq for Swift; the include path comes from pkg-config (Debian keeps libpq-fe.h in /usr/include/postgresql).
#include <libpq-fe.h>
