#include <stdio.h>

int main(void) {
    puts("sk-compat-tool says hi");
    return 0;
}
