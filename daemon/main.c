/*  main.c: gidlintd, the gidlint streaming daemon.
 *
 *  Reads its configuration (gl_config.c) and runs the server (gl_server.c)
 *  until SIGTERM or SIGINT.  `gidlintd --help` lists every setting.
 */
#include "gl_config.h"
#include "gl_server.h"

#include <zmq.h>

int
main (int argc, char **argv)
{
    gl_config_t cfg;
    gl_flags_t flags;
    int rc = gl_config_parse_args (argc, argv, &cfg, &flags);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    return gl_server_run (&cfg, &flags);
}
