# kunit.py --qemu_config: arm64 virt with an emulated SMMUv3 (always S1+S2)
# and QEMU's edu PCI device as a DMA engine behind it.
from qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='arm64',
			   kconfig='''
CONFIG_SERIAL_AMBA_PL011=y
CONFIG_SERIAL_AMBA_PL011_CONSOLE=y''',
			   qemu_arch='aarch64',
			   kernel_path='arch/arm64/boot/Image.gz',
			   kernel_command_line='console=ttyAMA0',
			   extra_qemu_params=[
				   '-machine', 'virt,iommu=smmuv3',
				   # QEMU's default pointer authentication is
				   # very slow under TCG.
				   '-cpu', 'max,pauth-impdef=on',
				   '-smp', '2',
				   '-device', 'edu,dma_mask=0xffffffffffffffff',
				   # Virtual time jumps to the next timer while the
				   # guest waits: edu's 100 ms DMA timer costs
				   # nothing.
				   '-icount', 'shift=0,sleep=off'])
