#!/usr/bin/perl
# make-bzimage.pl OUT [--version V] [--init-size N] [--short N]: write a
# small file that is a 64-bit bzImage to a loader -- the setup header of
# the Linux/x86 boot protocol (version V, default 0x020f), 4 setup sectors,
# then a 4 KB "kernel" of HLT (0xF4) bytes -- but no kernel that could run.
# --init-size sets the memory it asks for; --short N cuts N bytes off the
# end. For the error tests of tests/integration/linux.bats.
use strict;
use warnings;

my $out = shift @ARGV;
my %opt = (version => 0x020f, 'init-size' => 0x800000, short => 0);
while (@ARGV) {
	my ($name, $value) = (shift(@ARGV) =~ s/^--//r, shift @ARGV);
	$opt{$name} = $value =~ /^0x/i ? hex($value) : $value + 0;
}
my ($setup_sects, $kernel) = (4, 4096);
my $file = "\0" x (($setup_sects + 1) * 512) . "\xf4" x $kernel;
# setup_sects, and the header that starts at 0x1f1 (boot.rst, "The Real-Mode
# Kernel Header"): each field at its offset, little-endian.
substr($file, 0x1f1, 1) = pack('C', $setup_sects);
substr($file, 0x1f4, 4) = pack('V', $kernel / 16);		# syssize
substr($file, 0x1fe, 2) = pack('v', 0xaa55);			# boot_flag
substr($file, 0x201, 1) = pack('C', 0x6a);			# the header ends at 0x26c
substr($file, 0x202, 4) = 'HdrS';
substr($file, 0x206, 2) = pack('v', $opt{version});
substr($file, 0x211, 1) = pack('C', 1);				# loadflags: LOADED_HIGH
substr($file, 0x22c, 4) = pack('V', 0x7fffffff);		# initrd_addr_max
substr($file, 0x230, 4) = pack('V', 0x200000);			# kernel_alignment
substr($file, 0x234, 1) = pack('C', 1);				# relocatable_kernel
substr($file, 0x236, 2) = pack('v', 1);				# xloadflags: XLF_KERNEL_64
substr($file, 0x238, 4) = pack('V', 255);			# cmdline_size
substr($file, 0x258, 8) = pack('V2', 0x1000000, 0);		# pref_address: 16 MB
substr($file, 0x260, 4) = pack('V', $opt{'init-size'});
open(my $fh, '>:raw', $out) or die "$out: $!";
print $fh substr($file, 0, length($file) - $opt{short});
close $fh;
