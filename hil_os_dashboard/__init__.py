"""The Horizon plugin of hil-os: a "Bare Metal" panel group.

hil_os itself never imports this package (nor Django); install it with
``pip install 'hil-os[horizon]'`` beside Horizon and copy the files of
``hil_os_dashboard/enabled/`` into Horizon's ``local/enabled/``.
"""
