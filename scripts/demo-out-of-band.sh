# Out-of-band changes made by `make demo` between two plans, through the
# sandbox's admin API or the emulated APIs themselves: what an admin
# clicking in each platform's web UI would do.
out_of_band() {
  local url=$1
  :
}
