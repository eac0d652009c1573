# Aramid: build, run and test. See README.md.
#   make [PROFILE=p]        build build/p/aramid.elf (default: balanced)
#   make run [PROFILE=p]    boot BusyBox in QEMU on this terminal
#   make test [PROFILE=p]   test one profile, or all four
#   make test-linux         run the same tests on Debian's Linux kernel
#   make debug [PROFILE=p]  QEMU waiting for GDB on :1234

PROFILES := fortress balanced performance ludicrous
PROFILE ?= balanced
ifeq ($(filter $(PROFILE),$(PROFILES)),)
$(error unknown PROFILE '$(PROFILE)': choose one of $(PROFILES))
endif

BUILD := build/$(PROFILE)
OBJ := $(BUILD)/obj
KERNEL := $(BUILD)/aramid.elf
UPPER = $(shell echo $(1) | tr a-z A-Z)

CC := gcc
LD := ld
QEMU := qemu-system-x86_64
PYTHON := /usr/bin/python3
MEM ?= 128M

CFLAGS := -std=gnu11 -ffreestanding -fno-pic -fno-pie -mcmodel=kernel \
	-mno-red-zone -mgeneral-regs-only -fno-omit-frame-pointer \
	-fno-strict-aliasing -fno-common -g -Wall -Wextra -Werror \
	-Wno-unused-parameter -Iinclude -DPROFILE_$(call UPPER,$(PROFILE))
# Per-profile compiler hardening (DESIGN.md, the profile table).
CFLAGS_fortress := -O2 -fstack-protector-strong -mstack-protector-guard=global \
	-ftrivial-auto-var-init=zero
CFLAGS_balanced := -O2 -fstack-protector-strong -mstack-protector-guard=global
CFLAGS_performance := -O2
CFLAGS_ludicrous := -O3
CFLAGS += $(CFLAGS_$(PROFILE))
ASFLAGS := -g -Iinclude -Iplatform
LDFLAGS := -nostdlib -z max-page-size=4096 -z noexecstack -T platform/linker.ld

SRCS := $(sort $(wildcard platform/*.c platform/*.S lib/*.c \
	kernel/*.c kernel/*/*.c services/*.c services/*/*.c))
OBJS := $(patsubst %,$(OBJ)/%.o,$(basename $(SRCS)))
DEPS := $(OBJS:.o=.d)

all: $(KERNEL)

$(OBJ)/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(OBJ)/%.o: %.S Makefile
	@mkdir -p $(dir $@)
	$(CC) $(ASFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/layers.ok: scripts/check-layers.sh $(SRCS) $(wildcard include/*/*.h)
	@mkdir -p $(BUILD)
	sh scripts/check-layers.sh
	@touch $@

# Two-pass link: the second embeds the symbol table of the first, for
# symbolized backtraces. Text addresses do not move between the passes.
$(KERNEL): $(OBJS) $(BUILD)/layers.ok platform/linker.ld scripts/gen-ksyms.sh
	$(LD) $(LDFLAGS) -o $@.pass1 $(OBJS)
	sh scripts/gen-ksyms.sh $@.pass1 > $(BUILD)/ksyms.S
	$(CC) -c $(BUILD)/ksyms.S -o $(BUILD)/ksyms.o
	$(LD) $(LDFLAGS) -o $@ $(OBJS) $(BUILD)/ksyms.o
	@rm -f $@.pass1

-include $(DEPS)

deps:
	@sh scripts/deps.sh

# The initramfs for `make run`: Debian's BusyBox and its applet links.
build/initramfs.cpio: scripts/mkinitramfs.sh | deps
	@mkdir -p build
	sh scripts/mkinitramfs.sh $@

QEMU_ARGS = -M pc -cpu max -m $(MEM) -nographic -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel $(KERNEL) -initrd build/initramfs.cpio

run: deps $(KERNEL) build/initramfs.cpio
	$(QEMU) $(QEMU_ARGS) -append "console=ttyS0 $(APPEND)" || [ $$? -eq 0 ]

debug: deps $(KERNEL) build/initramfs.cpio
	@echo "GDB: gdb $(KERNEL) -ex 'target remote :1234'"
	$(QEMU) $(QEMU_ARGS) -append "console=ttyS0 $(APPEND)" -s -S

ifeq ($(origin PROFILE),command line)
TEST_PROFILES := $(PROFILE)
else
TEST_PROFILES := $(PROFILES)
endif

test: deps
	@sh tests/run-all.sh $(TEST_PROFILES)

test-linux: deps
	@sh tests/linux.sh

clean:
	rm -rf build

.PHONY: all deps run debug test test-linux clean
