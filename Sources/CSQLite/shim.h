// sqlite3 for Swift. SQLITE_TRANSIENT is a macro (a cast of -1 to a destructor pointer) that Swift cannot
// import, so it is re-exposed as a function.
#include <sqlite3.h>

static inline sqlite3_destructor_type mixbit_sqlite_transient(void) { return SQLITE_TRANSIENT; }
