from ficarchive.cli import main

main()
