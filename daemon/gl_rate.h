/*  gl_rate.h: a request rate limit per control connection.
 *
 *  A token bucket per peer (the ROUTER routing id of the connection):
 *  `burst` tokens at most, refilled at `rate` a second; each request takes
 *  one.  A peer whose bucket has refilled completely is the same as one
 *  never seen, so idle peers are forgotten whenever the table fills up;
 *  the table never holds more than GL_RATE_MAX_PEERS (beyond, new peers
 *  are let through unmetered and the fact is logged once by the caller).
 */
#ifndef GL_RATE_H_INCLUDED
#define GL_RATE_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GL_RATE_MAX_PEERS 65536

typedef struct gl_rate gl_rate_t;

gl_rate_t *gl_rate_new (void);
void gl_rate_destroy (gl_rate_t **rate);

/*  One request of peer at time now (seconds, monotonic).  Returns 0 when it
 *  may go on, else the milliseconds until it could (at least 1).  rate <= 0
 *  means no limit.  *unmetered is set when the table was full.            */
uint64_t gl_rate_take (gl_rate_t *rate, const void *peer, size_t peer_len,
                       double now, double per_second, double burst,
                       bool *unmetered);

#endif
