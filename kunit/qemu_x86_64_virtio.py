# kunit.py --qemu_config: x86_64 q35 with virtio-iommu-pci (described to the
# kernel by ACPI VIOT; QEMU allows one vIOMMU on x86, so no VT-d) and
# QEMU's edu PCI device as a DMA engine behind it. TCG only: the harness
# drops the '-accel kvm' kunit.py asks for (KVM does not work here).
from qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='x86_64',
			   kconfig='''
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y''',
			   qemu_arch='x86_64',
			   kernel_path='arch/x86/boot/bzImage',
			   kernel_command_line='console=ttyS0',
			   extra_qemu_params=[
				   '-bios', 'qboot.rom',
				   '-machine', 'q35,kernel-irqchip=split',
				   '-smp', '2',
				   '-device', 'virtio-iommu-pci',
				   '-device', 'edu,dma_mask=0xffffffffffffffff',
				   # Virtual time jumps to the next timer while the
				   # guest waits: edu's 100 ms DMA timer costs
				   # nothing.
				   '-icount', 'shift=0,sleep=off'])
