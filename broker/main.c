/*  main.c: gidlint-broker, the scale-out device in front of several
 *  gidlintd (gl_broker.h).  `gidlint-broker --help` lists every setting.
 */
#include "gl_broker.h"

int
main (int argc, char **argv)
{
    gl_broker_config_t cfg;
    gl_flags_t flags;
    int rc = gl_broker_parse_args (argc, argv, &cfg, &flags);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    return gl_broker_run (&cfg, &flags);
}
