#!/bin/bash
# hil-os devstack plugin: dispatches devstack phases to lib/hil-os.

source "$DEST/hil-os/devstack/lib/hil-os"

if is_service_enabled hil-os-api hil-os-conductor; then
    if [[ "$1" == "stack" && "$2" == "install" ]]; then
        install_hil_os
        if is_service_enabled horizon; then
            install_hil_os_dashboard
        fi
    elif [[ "$1" == "stack" && "$2" == "post-config" ]]; then
        configure_hil_os
        create_hil_os_accounts
    elif [[ "$1" == "stack" && "$2" == "extra" ]]; then
        init_hil_os
        start_hil_os
    fi

    if [[ "$1" == "unstack" ]]; then
        stop_hil_os
    fi

    if [[ "$1" == "clean" ]]; then
        cleanup_hil_os
        if is_service_enabled horizon; then
            cleanup_hil_os_dashboard
        fi
    fi
fi
