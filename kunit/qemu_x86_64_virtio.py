# kunit.py --qemu_config: the machine of qemu_x86_64.py with virtio-iommu-pci
# (described to the kernel by ACPI VIOT) instead of VT-d: QEMU allows one
# vIOMMU on x86. The same kernel, so the same kconfig.
import dataclasses
import importlib.util
import os

_spec = importlib.util.spec_from_file_location(
	'qemu_x86_64', os.path.join(os.path.dirname(__file__), 'qemu_x86_64.py'))
_vtd = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_vtd)

QEMU_ARCH = dataclasses.replace(
	_vtd.QEMU_ARCH,
	kernel_command_line=_vtd.QEMU_ARCH.kernel_command_line.replace(
		' intel_iommu=on', ''),
	extra_qemu_params=['virtio-iommu-pci' if p.startswith('intel-iommu')
			   else p for p in _vtd.QEMU_ARCH.extra_qemu_params])
