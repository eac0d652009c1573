/* libabi_dynlib.so: the shared library abi_dynamic loads with dlopen. */
int abi_dynlib_counter = 7;

int abi_dynlib_answer(void);
int abi_dynlib_answer(void)
{
	return 35 + abi_dynlib_counter;
}
