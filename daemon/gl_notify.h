/*  gl_notify.h: telling systemd how a daemon is doing (sd_notify(3)).
 *
 *  gidlintd and gidlint-broker run under systemd as Type=notify services:
 *  systemd considers one started when it says READY=1 (every socket bound,
 *  the workers running), knows a reload is under way between RELOADING=1
 *  and the next READY=1, and that the stop has begun at STOPPING=1.
 *  STATUS= is the line `systemctl status` shows.
 *
 *  The messages go to the datagram socket named by $NOTIFY_SOCKET; without
 *  that variable (not started by systemd) each call does nothing.  Built
 *  without libsystemd (GIDLINT_SYSTEMD=OFF, or AUTO and not found), every
 *  function is a no-op.  Return values are not worth checking: a daemon
 *  works the same whether or not anyone listens.
 */
#ifndef GL_NOTIFY_H
#define GL_NOTIFY_H

/*  READY=1, with STATUS=status when status is not NULL.                  */
void gl_notify_ready (const char *status);

/*  RELOADING=1 (and MONOTONIC_USEC=, which newer systemd wants with it):
 *  a reload starts; gl_notify_ready() says it is over, failed or not.    */
void gl_notify_reloading (void);

/*  STOPPING=1: the daemon has begun to shut down.                        */
void gl_notify_stopping (void);

/*  STATUS=, formatted as printf does.                                    */
void gl_notify_status (const char *fmt, ...)
    __attribute__ ((format (printf, 1, 2)));

#endif
