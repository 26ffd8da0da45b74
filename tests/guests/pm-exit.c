/* pm-exit: a protected-mode guest whose main() returns 42: the exit status. */
#include "guest.h"

int main(void) {
	puts32("returning 42\n");
	return 42;
}
