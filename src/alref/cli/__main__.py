from alref.cli import main

main()
