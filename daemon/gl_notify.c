/*  gl_notify.c: sd_notify(3) wrappers; see gl_notify.h.
 *
 *  libsystemd's sd_notify() does the work (it finds $NOTIFY_SOCKET, handles
 *  abstract socket names, and returns 0 when the variable is unset), so
 *  there is no socket code here.  unset_environment is 0: the variable
 *  stays, because the daemon notifies again at every reload and stop.
 */
#define _GNU_SOURCE
#include "gl_notify.h"

#include <stdarg.h>
#include <stdio.h>

#ifdef GL_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#include <time.h>

void
gl_notify_ready (const char *status)
{
    if (status)
        sd_notifyf (0, "READY=1\nSTATUS=%s", status);
    else
        sd_notify (0, "READY=1");
}

void
gl_notify_reloading (void)
{
    /* systemd 253 and later (Type=notify-reload) match the reload by this
     * timestamp of CLOCK_MONOTONIC; 252 ignores it. */
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    sd_notifyf (0, "RELOADING=1\nMONOTONIC_USEC=%llu",
                (unsigned long long) ts.tv_sec * 1000000ULL
                    + (unsigned long long) ts.tv_nsec / 1000ULL);
}

void
gl_notify_stopping (void)
{
    sd_notify (0, "STOPPING=1");
}

void
gl_notify_status (const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (line, sizeof line, fmt, ap);
    va_end (ap);
    sd_notifyf (0, "STATUS=%s", line);
}

#else /* no libsystemd: nothing to tell */

void
gl_notify_ready (const char *status)
{
    (void) status;
}

void
gl_notify_reloading (void)
{
}

void
gl_notify_stopping (void)
{
}

void
gl_notify_status (const char *fmt, ...)
{
    (void) fmt;
}

#endif
