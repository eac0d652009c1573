/*
 * tiny: the smallest static program, the image that the
 * fork_exec_wait benchmark of bench_micro executes. It exits 0 at once.
 */
int main(void)
{
	return 0;
}
