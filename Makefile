# Aramid: build, run and test. See README.md.
#   make [PROFILE=p]        build build/p/aramid.elf (default: balanced)
#   make run [PROFILE=p] [NET=0] [HOSTFWD=port] [SSHFWD=port] [USERLAND=debian] [SMP=n]
#            [DISK=image [ROOT=initramfs]]   boot BusyBox (or the Debian
#                           userland) in QEMU on this terminal, networked
#                           (host ports -> guest 80, 22); DISK=: boot from a raw
#                           ext2 image as /dev/vda instead (ROOT=initramfs:
#                           only attach it)
#   make run-linux [USERLAND=debian]   the same on Debian's Linux kernel
#   make userland           build the Debian userland image
#   make disk-image         the same as a bootable ext2 disk image
#   make test-userland [ON=linux|aramid] [PROFILE=p]   its smoke test
#   make test-python [ON=linux|aramid] [PROFILE=p] [PYTESTS=mod,mod]
#                           CPython's regression tests in it, against Linux
#   make test [PROFILE=p]   test one profile, or all four
#   make test-linux         run the same tests on Debian's Linux kernel
#   make debug [PROFILE=p]  QEMU waiting for GDB on :1234
#   make tcb [PROFILE=p]    the profile's trusted-code share
#   make bench [ROUNDS=n] [ICOUNT=1] [BENCH=word] [CPU=model]   every profile against Linux

.DEFAULT_GOAL := all
PROFILES := fortress balanced performance ludicrous
PROFILE ?= balanced
ifeq ($(filter $(PROFILE),$(PROFILES)),)
$(error unknown PROFILE '$(PROFILE)': choose one of $(PROFILES))
endif

# FAULT_INJECT=1 (make test only) adds the faultfs test service and the
# lock-order self-test (platform/spinlock_selftest.c) and builds apart,
# in build/<profile>-fi, so `make run` never boots it.
ifeq ($(FAULT_INJECT),1)
BUILD := build/$(PROFILE)-fi
else
BUILD := build/$(PROFILE)
endif
OBJ := $(BUILD)/obj
KERNEL := $(BUILD)/aramid.elf
UPPER = $(shell echo $(1) | tr a-z A-Z)

CC := gcc
LD := ld
QEMU := qemu-system-x86_64
PYTHON := /usr/bin/python3
# USERLAND=debian: the Debian userland image instead of BusyBox's, with
# more guest memory (the image is about 330 MB, unpacked into RAM).
USERLAND ?= busybox
ifeq ($(USERLAND),debian)
INITRD := build/userland/debian.cpio
MEM ?= 2G
else ifeq ($(USERLAND),busybox)
INITRD := build/initramfs.cpio
MEM ?= 128M
else
$(error unknown USERLAND '$(USERLAND)': choose busybox or debian)
endif
# Debian's own Linux kernel, for run-linux and test-userland.
LINUX_KERNEL = $(lastword $(shell ls /boot/vmlinuz-* 2>/dev/null | sort -V))

CFLAGS := -std=gnu11 -ffreestanding -fno-pic -fno-pie -mcmodel=kernel \
	-mno-red-zone -mgeneral-regs-only -fno-omit-frame-pointer \
	-fno-strict-aliasing -fno-common -g -Wall -Wextra -Werror \
	-Wno-unused-parameter -Iinclude -DPROFILE_$(call UPPER,$(PROFILE))
# Per-profile compiler hardening (the README's profile table). The
# sanitizer checks trap in place (ud2, no runtime library); the kernel's
# #UD handler names such a trap (platform/trap.c).
UBSAN_TRAP := -fsanitize-undefined-trap-on-error
CFLAGS_fortress := -O2 -fstack-protector-strong -mstack-protector-guard=global \
	-ftrivial-auto-var-init=zero \
	-fsanitize=bounds,signed-integer-overflow,shift $(UBSAN_TRAP)
CFLAGS_balanced := -O2 -fstack-protector-strong -mstack-protector-guard=global \
	-fsanitize=bounds,signed-integer-overflow $(UBSAN_TRAP)
CFLAGS_performance := -O2
CFLAGS_ludicrous := -O3 -flto=auto
CFLAGS += $(CFLAGS_$(PROFILE))
ASFLAGS := -g -Iinclude -Iplatform
LDFLAGS := -nostdlib -z max-page-size=4096 -z noexecstack -T platform/linker.ld
# The kernel links with ld, except under LTO: then gcc drives the link so
# that the LTO plugin compiles the whole kernel at once, with CFLAGS.
ifneq ($(filter -flto%,$(CFLAGS)),)
LINK := $(CC) $(CFLAGS) -no-pie -static -Wl,--build-id=none $(LDFLAGS)
else
LINK := $(LD) $(LDFLAGS)
endif

SRCS := $(sort $(wildcard platform/*.c platform/*.S lib/*.c \
	kernel/*.c kernel/*/*.c services/*/*.c services/*/*/*.c))
ifneq ($(FAULT_INJECT),1)
SRCS := $(filter-out services/fs/faultfs/% platform/spinlock_selftest.c,$(SRCS))
else
# Test-only fault hooks inside services (e.g. the network service's).
CFLAGS += -DFAULT_INJECT
endif
OBJS := $(patsubst %,$(OBJ)/%.o,$(basename $(SRCS)))

# lwIP, the network service's TCP/IP stack: Debian's source package,
# unpacked into build/lwip by scripts/lwip-source.sh (never committed).
# It is compiled with the profile's flags, against its port in
# services/net/lwip-port and no C library (-nostdinc).
LWIP := build/lwip
LWIP_SRCS := $(addprefix src/core/,init.c def.c inet_chksum.c ip.c mem.c \
	memp.c netif.c pbuf.c raw.c stats.c sys.c tcp.c tcp_in.c tcp_out.c \
	timeouts.c udp.c) \
	$(addprefix src/core/ipv4/,etharp.c icmp.c ip4_frag.c ip4.c \
	ip4_addr.c) \
	$(addprefix src/core/ipv6/,ethip6.c icmp6.c ip6.c ip6_addr.c \
	ip6_frag.c mld6.c nd6.c) \
	src/netif/ethernet.c
LWIP_OBJS := $(patsubst %,$(OBJ)/lwip/%.o,$(basename $(LWIP_SRCS)))
LWIP_INC := -Iservices/net/lwip-port -I$(LWIP)/src/include
LWIP_CFLAGS := $(filter-out -Iinclude,$(CFLAGS)) -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-Iservices/net/lwip-port/libc -Iinclude $(LWIP_INC) \
	-Wno-address -Wno-sign-compare
# One unpacking gives every source: a grouped target, run once.
$(addprefix $(LWIP)/,$(LWIP_SRCS)) &:
	sh scripts/lwip-source.sh $(LWIP)
$(OBJ)/lwip/%.o: $(LWIP)/%.c Makefile services/net/lwip-port/lwipopts.h
	@mkdir -p $(dir $@)
	$(CC) $(LWIP_CFLAGS) -MMD -MP -c $< -o $@
$(LWIP_OBJS): | $(LWIP)/src/core/tcp.c
# A frame ip4.c sends to this host goes to the net service's loopback,
# which shares a TCP segment's data instead of copying it (loop.c).
$(OBJ)/lwip/src/core/ipv4/ip4.o: LWIP_CFLAGS += \
	-Dnetif_loop_output=net_loop_output
# The destination unreachable ip4.c and udp.c send quotes as much of the
# datagram as Linux's does (services/net/icmp_unreach.c).
$(OBJ)/lwip/src/core/ipv4/ip4.o $(OBJ)/lwip/src/core/udp.o: LWIP_CFLAGS += \
	-Dicmp_dest_unreach=net_icmp_dest_unreach
# tcp_write's PBUF_ROM pbufs for a send's data come from the network
# service, which has them reference the block it copied the data into
# (tcp_block.c); its other pbufs are lwIP's as ever.
$(OBJ)/lwip/src/core/tcp_out.o: LWIP_CFLAGS += \
	-Dpbuf_alloc=tcp_block_pbuf_alloc
# The network service's own code includes lwIP's headers too.
$(OBJ)/services/net/%.o: CFLAGS += -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-Iservices/net/lwip-port/libc $(LWIP_INC) \
	-Iservices/drivers/virtio_net
# The virtio drivers share the PCI transport of services/drivers/virtio.
$(OBJ)/services/drivers/%.o: CFLAGS += -Iservices/drivers/virtio
$(filter $(OBJ)/services/net/%,$(OBJS)): | $(LWIP)/src/core/tcp.c
OBJS += $(LWIP_OBJS)
DEPS := $(OBJS:.o=.d)

all: $(KERNEL)

# The direct-dispatch lists of performance and ludicrous, made from the
# interface lists (include/) and the ops tables of kernel/ and services/
# (scripts/gen-svc-direct.py). Each of those files is compiled with
# svc_direct_alias.h first, which gives its static implementations the
# global names the dispatch files call them by (nothing in the
# containing profiles).
GEN := $(BUILD)/gen
SVC_SRCS := $(filter kernel/% services/%,$(filter %.c,$(SRCS)))
SVC_OBJS := $(patsubst %,$(OBJ)/%.o,$(basename $(SVC_SRCS)))
$(GEN)/svc_direct_list.h $(GEN)/svc_direct_alias.h &: scripts/gen-svc-direct.py \
		$(SVC_SRCS) $(wildcard include/*/*.h)
	@mkdir -p $(GEN)
	$(PYTHON) scripts/gen-svc-direct.py $(GEN) include $(SVC_SRCS)
$(SVC_OBJS): $(GEN)/svc_direct_list.h $(GEN)/svc_direct_alias.h
$(SVC_OBJS): SVC_TU = -DSVC_TU_$(subst -,_,$(subst .,_,$(subst /,_,$<))) \
	-include $(GEN)/svc_direct_alias.h
CFLAGS += -I$(GEN)

$(OBJ)/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SVC_TU) -MMD -MP -c $< -o $@

$(OBJ)/%.o: %.S Makefile
	@mkdir -p $(dir $@)
	$(CC) $(ASFLAGS) -MMD -MP -c $< -o $@

# The vDSO (platform/vdso/): a user-mode shared object of its own, built
# without the kernel's flags and embedded by platform/vdso_image.S.
VDSO_SO := $(OBJ)/platform/vdso/vdso.so
VDSO_CFLAGS := -std=gnu11 -O2 -fPIC -ffreestanding -fno-builtin \
	-fno-stack-protector -Wall -Wextra -Werror -Wno-unused-parameter \
	-Iinclude -Iplatform
VDSO_LDFLAGS := -nostdlib -shared -Wl,-soname=linux-vdso.so.1 \
	-Wl,--hash-style=both -Wl,--eh-frame-hdr -Wl,--build-id=none \
	-Wl,--no-undefined -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack \
	-Wl,-T,platform/vdso/vdso.lds
$(VDSO_SO): platform/vdso/vdso.c platform/vvar.h platform/vdso/vdso.lds \
		Makefile
	@mkdir -p $(dir $@)
	$(CC) $(VDSO_CFLAGS) $(VDSO_LDFLAGS) $< -o $@
	@if readelf -r $@ | grep -q 'Relocation section'; then \
		echo "$@: the vDSO must have no relocations" >&2; \
		rm -f $@; exit 1; fi
$(OBJ)/platform/vdso_image.o: $(VDSO_SO)
$(OBJ)/platform/vdso_image.o: ASFLAGS += -DVDSO_SO='"$(VDSO_SO)"'

$(BUILD)/layers.ok: scripts/check-layers.sh $(SRCS) $(wildcard include/*/*.h)
	@mkdir -p $(BUILD)
	sh scripts/check-layers.sh
	@touch $@

# Two-pass link: the second embeds the symbol table of the first, for
# symbolized backtraces. Text addresses do not move between the passes.
$(KERNEL): $(OBJS) $(BUILD)/layers.ok platform/linker.ld scripts/gen-ksyms.sh
	$(LINK) -o $@.pass1 $(OBJS)
	sh scripts/gen-ksyms.sh $@.pass1 > $(BUILD)/ksyms.S
	$(CC) -c $(BUILD)/ksyms.S -o $(BUILD)/ksyms.o
	$(LINK) -o $@ $(OBJS) $(BUILD)/ksyms.o
	sh scripts/check-ksyms.sh $@.pass1 $@
	@rm -f $@.pass1

-include $(DEPS)

deps:
	@sh scripts/deps.sh

# The initramfs for `make run`: Debian's BusyBox and its applet links.
build/initramfs.cpio: scripts/mkinitramfs.sh | deps
	@mkdir -p build
	sh scripts/mkinitramfs.sh $@

# The network (NET=0: none): QEMU's user-mode network with a virtio-net
# device, and the host's 127.0.0.1:HOSTFWD forwarded to the guest's port 80,
# 127.0.0.1:SSHFWD to its port 22 (ssh, USERLAND=debian's dropbear).
comma := ,
NET ?= 1
HOSTFWD ?= 8080
SSHFWD ?= 2222
ifeq ($(NET),1)
QEMU_NET := -netdev user,id=net0,hostfwd=tcp:127.0.0.1:$(HOSTFWD)-:80$(comma)hostfwd=tcp:127.0.0.1:$(SSHFWD)-:22 \
	-device virtio-net-pci,netdev=net0,romfile=
else
QEMU_NET := -net none
endif
# SMP=n: n CPUs (default 2), on multi-threaded TCG when more than one.
SMP ?= 2
QEMU_SMP := -smp $(SMP) $(if $(filter-out 1,$(SMP)),-accel tcg$(comma)thread=multi)
# DISK=path: a raw disk image as the virtio-blk disk /dev/vda, booted
# from (root=/dev/vda rw, no initramfs: Aramid mounts it, runs its
# /sbin/init); with ROOT=initramfs only attached to the initramfs's boot.
DISK ?=
ROOT ?= /dev/vda
QEMU_DISK := $(if $(DISK),-drive file=$(DISK)$(comma)if=virtio$(comma)format=raw)
BOOT_DISK := $(if $(DISK),$(filter-out initramfs,$(ROOT)))
RUN_INITRD := $(if $(BOOT_DISK),,$(INITRD))
RUN_ROOT := $(if $(BOOT_DISK),root=$(BOOT_DISK) rw)
QEMU_MACHINE = -M pc -cpu max -m $(MEM) $(QEMU_SMP) -nographic -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 $(QEMU_NET) $(QEMU_DISK)
QEMU_ARGS = $(QEMU_MACHINE) -kernel $(KERNEL) $(if $(RUN_INITRD),-initrd $(RUN_INITRD))

run: deps $(KERNEL) $(RUN_INITRD)
	$(QEMU) $(QEMU_ARGS) -append "console=ttyS0 $(RUN_ROOT) $(APPEND)" || [ $$? -eq 0 ]

run-linux: deps $(INITRD)
	@[ -n "$(LINUX_KERNEL)" ] || { echo "no /boot/vmlinuz-* (make deps)" >&2; exit 1; }
	$(QEMU) $(QEMU_MACHINE) -initrd $(INITRD) -kernel $(LINUX_KERNEL) \
		-append "console=ttyS0 $(APPEND)"

# The Debian userland image (scripts/userland.sh): remade when the script,
# the package list or /init change; the packages stay in build/userland/debs.
userland: build/userland/debian.cpio
build/userland/debian.cpio: scripts/userland.sh $(wildcard scripts/userland/*) \
		| deps
	sh scripts/userland.sh $@

# The same userland as a bootable ext2 disk (scripts/disk-image.sh):
# `make run DISK=build/userland/debian.ext2 MEM=1G`.
disk-image: build/userland/debian.ext2
build/userland/debian.ext2: build/userland/debian.cpio scripts/disk-image.sh
	sh scripts/disk-image.sh build/userland/root $@

# Its smoke test (tests/userland.py), networked; ON=aramid boots the
# PROFILE's kernel instead of Debian's Linux.
ON ?= linux
ifeq ($(ON),aramid)
TEST_UL_KERNEL := $(KERNEL)
TEST_UL_NAME := $(PROFILE)
else ifeq ($(ON),linux)
TEST_UL_KERNEL = $(LINUX_KERNEL)
TEST_UL_NAME := linux
else
$(error unknown ON '$(ON)': choose linux or aramid)
endif
test-userland: deps build/userland/debian.cpio $(if $(filter aramid,$(ON)),$(KERNEL))
	@[ -n "$(TEST_UL_KERNEL)" ] || { echo "no /boot/vmlinuz-* (make deps)" >&2; exit 1; }
	$(PYTHON) tests/userland.py --kernel $(TEST_UL_KERNEL) \
		--initrd build/userland/debian.cpio --net --mem 2G \
		--name $(TEST_UL_NAME) --log build/userland/test-$(TEST_UL_NAME)

# CPython's regression tests in the image (tests/pytests.py), the whole
# set or PYTESTS=mod,mod; on Aramid compared with the last Linux run.
PYTESTS ?=
PYTESTS_LOG = build/userland/pytests-$(1)
test-python: deps build/userland/debian.cpio $(if $(filter aramid,$(ON)),$(KERNEL))
	@[ -n "$(TEST_UL_KERNEL)" ] || { echo "no /boot/vmlinuz-* (make deps)" >&2; exit 1; }
	$(PYTHON) tests/pytests.py --kernel $(TEST_UL_KERNEL) \
		--initrd build/userland/debian.cpio --mem 2G --name $(TEST_UL_NAME) \
		$(if $(PYTESTS),--modules $(PYTESTS)) \
		$(if $(filter aramid,$(ON)),--scale 2 --against $(call PYTESTS_LOG,linux).pytests.json) \
		--log $(call PYTESTS_LOG,$(TEST_UL_NAME))

debug: deps $(KERNEL) $(RUN_INITRD)
	@echo "GDB: gdb $(KERNEL) -ex 'target remote :1234'"
	$(QEMU) $(QEMU_ARGS) -append "console=ttyS0 $(RUN_ROOT) $(APPEND)" -s -S

ifeq ($(origin PROFILE),command line)
TEST_PROFILES := $(PROFILE)
else
TEST_PROFILES := $(PROFILES)
endif

# Static checks before the QEMU suites: the source lint rejects what it
# must, and each profile's compiler hardening is in its generated code.
test: deps
	@sh tests/run-all.sh $(TEST_PROFILES)

hardening-check: $(KERNEL)
	@sh scripts/check-hardening.sh $(PROFILE) $(BUILD) $(CC) $(CFLAGS)

# The trusted-code share of the profile (rule: scripts/tcb.sh).
tcb: $(addprefix $(LWIP)/,$(LWIP_SRCS))
	@LWIP_FILES="$^" sh scripts/tcb.sh $(PROFILE)

test-linux: deps
	@sh tests/linux.sh

# Benchmarks (bench/run.py): Linux and all four profiles booted in the same
# QEMU, ROUNDS interleaved rounds; ICOUNT=1 counts guest instructions
# instead of wall time; BENCH=word runs only benchmarks whose name has it.
ROUNDS ?= 3
# QEMU's CPU model for the benchmarks: max (ERMS, FSRM...) or e.g. qemu64.
CPU ?= max
BENCH_CPU = --cpu $(CPU)
BENCH_CPU_CMD = $(if $(filter-out max,$(CPU)), CPU=$(CPU))
BENCH_BUILD := build/bench
bench: deps
	@for p in $(PROFILES); do $(MAKE) -s PROFILE=$$p || exit 1; done
	@$(MAKE) -s -C bench OUT=$(CURDIR)/$(BENCH_BUILD)/bin
	@sh scripts/mkinitramfs.sh $(BENCH_BUILD)/initramfs-bench.cpio \
		--bench $(BENCH_BUILD)/bin/* >/dev/null
	@$(PYTHON) bench/run.py --initrd $(BENCH_BUILD)/initramfs-bench.cpio \
		--build-root build --logs $(BENCH_BUILD)/logs --out bench/results \
		--rounds $(ROUNDS) $(if $(filter 1,$(ICOUNT)),--icount) $(BENCH_CPU) \
		$(if $(BENCH),--only $(BENCH) --no-min-mem) \
		--command "make bench ROUNDS=$(ROUNDS)$(if $(filter 1,$(ICOUNT)), ICOUNT=1)$(if $(BENCH), BENCH=$(BENCH))$(BENCH_CPU_CMD)"

# The application benchmarks (bench/app): the same kernels on the Debian
# userland image with /bench/app appended, booted with aramid.bench=app.
bench-app: deps build/userland/debian.cpio
	@for p in $(PROFILES); do $(MAKE) -s PROFILE=$$p || exit 1; done
	@$(MAKE) -s -C bench OUT=$(CURDIR)/$(BENCH_BUILD)/bin
	@sh bench/app/mkinitrd.sh build/userland/debian.cpio \
		$(BENCH_BUILD)/bin/btime $(BENCH_BUILD)/initramfs-app.cpio
	@$(PYTHON) bench/run.py --suite app \
		--initrd $(BENCH_BUILD)/initramfs-app.cpio \
		--build-root build --logs $(BENCH_BUILD)/logs-app --out bench/results \
		--rounds $(ROUNDS) $(if $(filter 1,$(ICOUNT)),--icount) $(BENCH_CPU) \
		$(if $(BENCH),--only $(BENCH)) \
		--command "make bench-app ROUNDS=$(ROUNDS)$(if $(filter 1,$(ICOUNT)), ICOUNT=1)$(if $(BENCH), BENCH=$(BENCH))$(BENCH_CPU_CMD)"

# The scaling benchmarks (bench/run_smp.py): Linux and every profile at
# -smp 1 and -smp 2 (multi-threaded TCG), wall clock, ROUNDS rounds.
bench-smp: deps
	@for p in $(PROFILES); do $(MAKE) -s PROFILE=$$p || exit 1; done
	@$(MAKE) -s -C bench OUT=$(CURDIR)/$(BENCH_BUILD)/bin
	@sh scripts/mkinitramfs.sh $(BENCH_BUILD)/initramfs-bench.cpio \
		--bench $(BENCH_BUILD)/bin/* >/dev/null
	@$(PYTHON) bench/run_smp.py --initrd $(BENCH_BUILD)/initramfs-bench.cpio \
		--build-root build --logs $(BENCH_BUILD)/logs-smp --out bench/results \
		--rounds $(ROUNDS) $(if $(BENCH),--only $(BENCH)) $(BENCH_CPU) \
		--command "make bench-smp ROUNDS=$(ROUNDS)$(if $(BENCH), BENCH=$(BENCH))$(BENCH_CPU_CMD)"

# LTP's system-call tests (tests/ltp/), given LTP's source: LTP_SRC=dir.
# make ltp builds the must-pass list and checks that each test passes in
# every profile (PROFILE= for one); make ltp-linux runs it on Debian's
# Linux; LTP_LIST=all (or a list file) runs others without checking.
LTP_LIST ?= tests/ltp/must-pass.txt
LTP_SMP ?= 1
ltp-build: deps
	@[ -n "$(LTP_SRC)" ] || { echo "make ltp: give LTP_SRC=<LTP source tree>" >&2; exit 2; }
	@sh scripts/deps.sh ltp
	@sh tests/ltp/build.sh $(LTP_SRC) $(LTP_LIST)

ltp: ltp-build
	@st=0; for p in $(TEST_PROFILES); do $(MAKE) -s PROFILE=$$p || exit 1; \
		$(PYTHON) tests/ltp/run.py run --kernel build/$$p/aramid.elf \
			--label $$p --list $(LTP_LIST) --smp $(LTP_SMP) \
			$(if $(filter tests/ltp/must-pass.txt,$(LTP_LIST)),--check) || st=1; \
	done; exit $$st

ltp-linux: ltp-build
	@$(PYTHON) tests/ltp/run.py run --kernel $(LINUX_KERNEL) --label linux \
		--list $(LTP_LIST) --smp $(LTP_SMP) \
		$(if $(filter tests/ltp/must-pass.txt,$(LTP_LIST)),--check)

clean:
	rm -rf build

.PHONY: all deps run run-linux userland disk-image test-userland test-python debug test \
	test-linux clean hardening-check tcb bench bench-app bench-smp \
	ltp-build ltp ltp-linux
