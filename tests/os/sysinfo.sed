# What differs between machines and runs: uptime, memory sizes, the machine.
s/^uptime:    [0-9]* ticks/uptime:    N ticks/
s/^memory:    [0-9]* KB, [0-9]* KB free/memory:    N KB, N KB free/
s/^machine:   .*/machine:   NAME/
