# Sourced by the benchmark scripts: free_port VAR sets VAR to a loopback port nothing listens on
# (bash's /dev/tcp connect fails), not handed out before in this run. Not called as $(free_port):
# the subshell would lose USED_PORTS, and with several brokers a port handed out but not yet bound
# could be handed out again.
USED_PORTS=" "
free_port() { # VAR
    local p
    while :; do
        p=$(( 20000 + RANDOM % 40000 ))
        [[ "$USED_PORTS" == *" $p "* ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            USED_PORTS+="$p "
            printf -v "$1" '%s' "$p"
            return
        fi
    done
}
