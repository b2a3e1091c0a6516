/* Embench-IoT's picojpeg (https://github.com/embench/embench-iot, source unchanged in ../third_party/embench, GPL-3.0-or-
 * later; see COPYING there), run EMBENCH_REPEAT times per round by embench.h. */
#define GLOBAL_SCALE_FACTOR 1
#define EMBENCH_NAME "picojpeg"
#define EMBENCH_REPEAT 300
#include "../third_party/embench/src/picojpeg/picojpeg_test.c"
#include "embench.h"
