# kunit.py --qemu_config: riscv64 virt with AIA (the PCI IOMMU needs MSIs),
# the RISC-V IOMMU on PCI (first, so it probes before the endpoints) and
# QEMU's edu PCI device as a DMA engine behind it.
from qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='riscv',
			   kconfig='''
CONFIG_ARCH_VIRT=y
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y
CONFIG_SERIAL_OF_PLATFORM=y''',
			   qemu_arch='riscv64',
			   kernel_path='arch/riscv/boot/Image',
			   kernel_command_line='console=ttyS0',
			   extra_qemu_params=[
				   '-machine', 'virt,aia=aplic-imsic',
				   '-cpu', 'rv64',
				   '-smp', '2',
				   '-bios', '/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin',
				   '-device', 'riscv-iommu-pci',
				   '-device', 'edu,dma_mask=0xffffffffffffffff',
				   # Virtual time jumps to the next timer while the
				   # guest waits: edu's 100 ms DMA timer costs
				   # nothing.
				   '-icount', 'shift=0,sleep=off'])
