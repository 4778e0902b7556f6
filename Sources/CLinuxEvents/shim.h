#ifndef SAUTI_CLINUXEVENTS_SHIM_H
#define SAUTI_CLINUXEVENTS_SHIM_H
/* Linux event primitives the Glibc module map leaves out: epoll(7), eventfd(2), timerfd(2).
   The media workers' event loop is built on them. */
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#endif
