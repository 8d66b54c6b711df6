"""The virtual lab: QEMU nodes that hil-os powers, isolates and boots.

``hil-os lab up|status|down`` (hil_os/cmd/lab.py). One module per job:
``state`` (the state file and names), ``system`` (commands, namespaces,
processes), ``switch`` (Open vSwitch behind sshd), ``provisioning``
(dnsmasq, tgtd and the boot relay), ``nodes`` (QEMU and the ipmi_sim
BMCs), ``service`` (the lab's own hil-os), ``register`` (the inventory in
hil-os through its API) and ``lab`` (up, status, down).
"""
