"""What the frozen ``gongkai`` executable runs: the same entry point as the console script."""

from ui.launch import main

if __name__ == "__main__":
    main()
