// Exposes epoll, eventfd and sendfile to Swift: Glibc's module map does not include them.
#ifndef CEPOLL_H
#define CEPOLL_H
#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/sendfile.h>

/// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC. accept4 is a GNU extension that Swift's Glibc module
/// does not declare, so it is wrapped here, where _GNU_SOURCE is defined.
int cepoll_accept_nonblocking(int listener);
#endif
#endif
