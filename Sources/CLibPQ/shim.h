// libpq's declarations for Swift (Debian keeps libpq-fe.h in /usr/include/postgresql). Declarations only: the
// library itself is loaded with dlopen on the first PostgreSQL connection (Sources/Store/Postgres/LibPQ.swift).
#include <postgresql/libpq-fe.h>
