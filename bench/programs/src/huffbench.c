/* Embench-IoT's huffbench (https://github.com/embench/embench-iot, source unchanged in ../third_party/embench, GPL-3.0-or-
 * later; see COPYING there), run EMBENCH_REPEAT times per round by embench.h. */
#define GLOBAL_SCALE_FACTOR 1
#define EMBENCH_NAME "huffbench"
#define EMBENCH_REPEAT 400
#include "../third_party/embench/src/huffbench/libhuffbench.c"
#include "embench.h"
