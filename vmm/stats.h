/* stats: the --stats report of one guest, on stderr. */
#ifndef STATS_H
#define STATS_H

struct guest;

void stats_print(const struct guest *g);

#endif
