"""Colab profile only: the kernel as Colab starts it, as far as a chapter can tell.

tools/execute/execute.py --colab copies this file into the startup folder of the
kernels' profile (.offline-data/ipython-colab/) and puts a folder holding a
stand-in ``google.colab`` on the kernel's PYTHONPATH. Colab's kernel has
``google.colab`` imported; the setup cell takes its Colab branch (pip installs) when
it is. The kernel process then
has no network: a learner copy must not need one (its quiz is inside it; the datasets
come from the offline mirror here, where Colab downloads them). The setup cell's pip
runs in a subprocess, which keeps the network.
"""


def _colab_kernel():
    import socket

    import google.colab  # noqa: F401  (the stand-in: google is a namespace package)

    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex

    def local(sock, address):  # the kernel's own machinery talks over loopback
        host = address[0] if isinstance(address, tuple) else "unix"
        return sock.family == socket.AF_UNIX or host in (
            "127.0.0.1",
            "::1",
            "localhost",
        )

    def refuse(sock, address):
        if local(sock, address):
            return connect(sock, address)
        raise OSError(f"the Colab profile's kernel has no network: {address}")

    def refuse_ex(sock, address):
        if local(sock, address):
            return connect_ex(sock, address)
        raise OSError(f"the Colab profile's kernel has no network: {address}")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse_ex


_colab_kernel()
del _colab_kernel
