#!/bin/sh
# run_if_cpu.sh "FLAG..." PROGRAM: runs PROGRAM when /proc/cpuinfo lists every FLAG, else
# says why it is skipped and succeeds (a binary built for missing instructions would crash).
flags="$1"
shift
for f in $flags; do
  if ! grep -qw "$f" /proc/cpuinfo 2>/dev/null; then
    echo "skipped: this CPU lacks $f, which $1 was built for"
    exit 0
  fi
done
exec "$@"
