/* work.h: the compute benchmarks (work.c), by number 0-2. */
#include <stdint.h>

#define BENCH_COUNT 3
extern uint64_t (*const benches[BENCH_COUNT])(void);
extern const char *const bench_names[BENCH_COUNT];
