/* 2: count from 0 to 9, giving the CPU away between numbers. */
#include "user.h"

int main(void) {
	for (int i = 0; i < 10; i++) {
		printf("%d\n", i);
		yield();
	}
	return 0;
}
