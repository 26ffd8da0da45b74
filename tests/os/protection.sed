# The faulting instruction's address moves whenever the user library is
# rebuilt differently; what must hold is that it is in the program (0x4000xxxx).
s/ at eip 4000[0-9a-f]\{4\}/ at eip 4000xxxx/
