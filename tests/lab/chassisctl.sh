#!/bin/sh
# chassisctl.sh STATEDIR get parm... | set parm val ... | check
# ipmi_sim's chassis_control: keeps power and boot device in files and
# appends every request to STATEDIR/events (tests assert on them).
d=$1; op=$2; shift 2
mkdir -p "$d"; [ -f "$d/power" ] || echo 0 > "$d/power"; [ -f "$d/boot" ] || echo default > "$d/boot"
case $op in
  get) for p in "$@"; do case $p in
         power) echo "power:$(cat "$d/power")" ;;
         boot) echo "boot:$(cat "$d/boot")" ;;
         *) echo "Invalid parameter: $p"; exit 1 ;; esac; done ;;
  set) while [ $# -gt 0 ]; do p=$1; v=$2; shift 2
         case $p in
           power) echo "$v" > "$d/power" ;;
           boot) echo "$v" > "$d/boot" ;;
           reset) ;;
           shutdown) echo 0 > "$d/power" ;;
           identify) shift ;;
           *) echo "Invalid parameter: $p"; exit 1 ;; esac
         echo "$(date +%s.%N) set $p $v" >> "$d/events"
       done ;;
  check) exit 1 ;;
  *) echo "Unknown operation: $op"; exit 1 ;;
esac
