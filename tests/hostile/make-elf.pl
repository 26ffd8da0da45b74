#!/usr/bin/perl
# make-elf.pl OUT PADDR:FILESZ:MEMSZ [...] [--short N]: write an ELF32 x86
# executable with one PT_LOAD per argument (entry: the first segment). Each
# segment's file bytes are HLT (0xF4). --short N cuts N bytes off the end,
# to make a truncated file. For the hostile-guest tests.
use strict;
use warnings;

my $out = shift @ARGV;
my $short = 0;
my @segs;
while (@ARGV) {
	my $arg = shift @ARGV;
	if ($arg eq '--short') { $short = shift @ARGV; next; }
	push @segs, [map { /^0x/i ? hex($_) : $_ + 0 } split /:/, $arg];
}
my $count = @segs;
my $offset = 52 + 32 * $count;
my ($headers, $data) = ('', '');
for my $s (@segs) {
	my ($paddr, $filesz, $memsz) = @$s;
	# p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align
	$headers .= pack('V8', 1, $offset + length($data), $paddr, $paddr, $filesz, $memsz, 7, 4);
	$data .= "\xf4" x $filesz;
}
# e_ident, e_type EXEC, e_machine 386, e_version, e_entry, e_phoff, e_shoff,
# e_flags, e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx
my $elf = pack('a16 v v V V V V V v v v v v v', "\x7fELF\x01\x01\x01", 2, 3, 1,
	       $segs[0][0], 52, 0, 0, 52, 32, $count, 40, 0, 0) . $headers . $data;
open(my $fh, '>:raw', $out) or die "$out: $!";
print $fh substr($elf, 0, length($elf) - $short);
close $fh;
