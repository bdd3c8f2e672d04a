/*  gl_broker.h: gidlint-broker, several gidlintd behind one set of
 *  endpoints.
 *
 *  A province whose intake outgrows one gidlintd runs several, and its
 *  producers and subscribers keep talking to one place: the broker binds
 *  the endpoints clients use (by default the daemon's own ports, so a
 *  client needs no change) and a backend endpoint per path that the
 *  daemons connect to instead of binding.  Four paths, each with its own
 *  thread:
 *
 *      documents   frontend PULL   -> backend PUSH     zmq_proxy
 *      results     frontend XPUB  <-> backend XSUB     zmq_proxy
 *      control     frontend ROUTER <-> backend DEALER  zmq_proxy
 *      route       frontend ROUTER <-> backend ROUTER  the relay (gl_broker.c)
 *
 *  The first three are libzmq's own devices (zmq_proxy_steerable, stopped
 *  and asked for counters over an inproc PAIR).  Documents are shared out
 *  among the daemons connected, control requests go to one of them, and
 *  results of every daemon reach every subscriber; each result names its
 *  daemon and carries that daemon's epoch and seq, so gap recovery stays
 *  per daemon.  That recovery needs a request to reach one daemon by name,
 *  which no zmq_proxy can do: the route path is a small relay that reads
 *  the daemon's name off the client's message (docs/protocol.md).
 *
 *  Configuration as gidlintd's (gl_settings.h): an INI file, every setting
 *  a long option, --print-config; SIGHUP rereads the file.
 */
#ifndef GL_BROKER_H_INCLUDED
#define GL_BROKER_H_INCLUDED

#include "gl_settings.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*  The longest daemon name a route message may carry (bytes).             */
#define GL_BROKER_MAX_NAME 255

typedef struct {
    char name[64];              /* this broker's name, in its log           */
    gl_log_level_t log_level;
    double stats_interval;      /* seconds between counter lines; 0: never  */
    char fe_ingest[256];        /* frontends: clients connect               */
    char fe_results[256];
    char fe_control[256];
    char fe_route[256];
    char be_ingest[256];        /* backends: daemons connect                */
    char be_results[256];
    char be_control[256];
    char be_route[256];
    int ingest_hwm;             /* per socket of each path                  */
    int results_hwm;
    int control_hwm;
    int route_hwm;
    size_t max_message;         /* as gidlintd's; frames beyond twice it
                                 * disconnect the client (ZMQ_MAXMSGSIZE)   */
    bool curve;                 /* CURVE servers with ZAP (gl_zap.h)        */
    char secret_key_file[512];  /* the broker's secret certificate          */
    char allowed_keys_dir[512]; /* clients' and daemons' public certificates */
    char config_file[512];      /* "" when none                             */
} gl_broker_config_t;

/*  The command line: 0 to run, 1 when --help, --version or --print-config
 *  was printed, -1 on an error (printed).                                  */
int gl_broker_parse_args (int argc, char **argv, gl_broker_config_t *cfg,
                          gl_flags_t *flags);

/*  Runs the broker until SIGTERM or SIGINT.  Returns the exit status: 0
 *  after a clean stop, 2 when it cannot start as configured, 1 otherwise. */
int gl_broker_run (const gl_broker_config_t *cfg, const gl_flags_t *flags);

#endif
