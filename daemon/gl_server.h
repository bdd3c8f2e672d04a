/*  gl_server.h: gidlintd's event loop, sockets and workers.
 *
 *  One libev loop in the main thread owns every ZeroMQ socket but the
 *  workers' own: ingest (PULL), results (PUB), control (ROUTER), and two
 *  inproc sockets to the workers (jobs: PUSH, done: PULL).  Worker threads
 *  decode, lint and encode; the main thread numbers and publishes.
 *
 *      producers --PUSH--> ingest --+              +--> results --PUB--> subscribers
 *                                   +--> jobs ---> workers ---> done --+
 *      clients --DEALER--> control -+   (PUSH)      (lint)     (PULL)  +--> control --> client
 *
 *  Document lifecycle, and the function that makes each step:
 *    received   read from ingest or control            s_read_ingest/s_read_control
 *    dispatched sent to a worker (in_flight + 1)       s_dispatch
 *    done       result or reject back from a worker    s_read_done
 *    published  numbered (seq) and sent on PUB, and    s_publish
 *               to the control peer (in_flight - 1)
 *  A document is "taken" once read from a socket; every taken document is
 *  published before the daemon exits, SIGTERM included.
 */
#ifndef GL_SERVER_H_INCLUDED
#define GL_SERVER_H_INCLUDED

#include "gl_config.h"

/*  Runs the daemon until SIGTERM or SIGINT.  flags are re-applied over the
 *  configuration file on SIGHUP.  Returns the process exit status.        */
int gl_server_run (const gl_config_t *cfg, const gl_flags_t *flags);

#endif
