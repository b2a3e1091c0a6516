/* The main of the Embench-IoT programs (https://github.com/embench/embench-iot, ../third_party/embench, GPL-3.0-or-
 * later): the benchmark's own initialise_benchmark, benchmark and verify_benchmark, called EMBENCH_REPEAT times per
 * round ("NAME [ROUNDS]", as rounds.h) instead of Embench's support/main.c, which runs it once under a board's
 * timer. Prints whether every run verified and the last result. Include after the benchmark's source. */
#include <stdio.h>
#include <stdlib.h>

void initialise_board(void) {}
void start_trigger(void) {}
void stop_trigger(void) {}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[argc - 1]) : 1;
    if (rounds < 1) rounds = 1;
    initialise_board();
    initialise_benchmark();
    warm_caches(0);
    int correct = 1, result = 0;
    for (int i = 0; i < rounds * EMBENCH_REPEAT; i++) {
        result = benchmark();
        correct &= verify_benchmark(result);
    }
    printf("%s: %d runs, %s, last result %d\n", EMBENCH_NAME, rounds * EMBENCH_REPEAT, correct ? "verified" : "WRONG", result);
    return !correct;
}
