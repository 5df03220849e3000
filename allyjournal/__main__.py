from allyjournal.cli import main

main()
