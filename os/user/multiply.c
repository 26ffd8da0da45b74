/* 1: the multiplication table, 1 to 9. */
#include "user.h"

int main(void) {
	for (int row = 1; row <= 9; row++) {
		for (int col = 1; col <= 9; col++)
			printf("%3d", row * col);
		print("\n");
	}
	return 0;
}
