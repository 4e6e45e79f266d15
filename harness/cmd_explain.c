/* placeholder, replaced below */
int cmd_explain(int argc, char **argv);
int cmd_explain(int argc, char **argv) { (void)argc; (void)argv; return 2; }
