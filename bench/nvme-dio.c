// SPDX-License-Identifier: GPL-2.0
/*
 * The init of the nvme benchmark of 'make bench' (scripts/bench.sh), built
 * with the kernel's nolibc: direct I/O of 4K to 1M requests to /dev/nvme0n1,
 * every request written and read back and compared, then power off.
 *
 * The block layer maps a request of more than one segment with the DMA IOVA
 * API (dma_iova_try_alloc/link/destroy) and a single segment with
 * dma_map_phys(): the buffers are anonymous memory, so every 4K page of a
 * request is a segment of its own.
 *
 * Reads of two marker blocks bracket the workload; the host finds them in
 * QEMU's trace (pci_nvme_read ... lba) and counts the IOMMU commands between
 * them. The console gets one line for scripts/inv-count.py:
 *   inv_workload nvme_dio markers lba:0x... lba:0x...
 * and one with the result:
 *   nvme_dio requests N bytes N mismatches N errors N
 */
#define DISK		"/dev/nvme0n1"
#define AREA		(32UL << 20)	/* the requests cycle through 32M */
#define MARK		(48UL << 20)	/* the marker blocks, past the area */
#define BLOCK		512
#define MAX_REQ		(1UL << 20)
#ifndef REPS
#define REPS		8
#endif

static unsigned long pattern(unsigned long rep, unsigned long off,
			     unsigned long i)
{
	return (rep << 48) ^ (off << 8) ^ (i * 0x9e3779b97f4a7c15UL);
}

static int do_io(int fd, int wr, void *buf, unsigned long len,
		 unsigned long off)
{
	long ret;

	if (lseek(fd, off, SEEK_SET) != (off_t)off)
		return -1;
	ret = wr ? write(fd, buf, len) : read(fd, buf, len);
	return ret == (long)len ? 0 : -1;
}

int main(void)
{
	unsigned long requests = 0, bytes = 0, mismatches = 0, errors = 0;
	unsigned long rep, size, off = 0, i;
	unsigned long *wbuf, *rbuf, *mark;
	int fd = -1, tries;

	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	for (tries = 0; tries != 300 && fd < 0; tries++) {
		fd = open(DISK, O_RDWR | O_DIRECT);
		if (fd < 0)
			msleep(100);
	}
	if (fd < 0) {
		printf("nvme_dio: cannot open " DISK "\n");
		goto out;
	}

	wbuf = mmap(NULL, MAX_REQ, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	rbuf = mmap(NULL, MAX_REQ, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mark = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (wbuf == MAP_FAILED || rbuf == MAP_FAILED || mark == MAP_FAILED) {
		printf("nvme_dio: no memory\n");
		goto out;
	}

	printf("inv_workload nvme_dio markers lba:%#lx lba:%#lx\n",
	       MARK / BLOCK, (MARK + 4096) / BLOCK);
	if (do_io(fd, 0, mark, 4096, MARK))
		errors++;

	for (rep = 0; rep != REPS; rep++) {
		for (size = 4096; size <= MAX_REQ; size *= 2) {
			if (off + size > AREA)
				off = 0;
			for (i = 0; i != size / sizeof(long); i++)
				wbuf[i] = pattern(rep, off, i);
			memset(rbuf, 0, size);
			if (do_io(fd, 1, wbuf, size, off) ||
			    do_io(fd, 0, rbuf, size, off)) {
				errors++;
				continue;
			}
			requests += 2;
			bytes += 2 * size;
			for (i = 0; i != size / sizeof(long); i++) {
				if (rbuf[i] != pattern(rep, off, i)) {
					mismatches++;
					break;
				}
			}
			off += size;
		}
	}

	if (do_io(fd, 0, mark, 4096, MARK + 4096))
		errors++;
	printf("nvme_dio requests %lu bytes %lu mismatches %lu errors %lu\n",
	       requests, bytes, mismatches, errors);
out:
	reboot(LINUX_REBOOT_CMD_POWER_OFF);
	return 0;
}
