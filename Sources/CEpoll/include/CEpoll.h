// Exposes epoll, eventfd and sendfile to Swift: Glibc's module map does not include them.
#ifndef CEPOLL_H
#define CEPOLL_H
#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/sendfile.h>
#endif
#endif
