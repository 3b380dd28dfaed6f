using System.Runtime.CompilerServices;

// The NUnit tests read the handle release counter and call the P/Invoke layer directly.
[assembly: InternalsVisibleTo("GameCrypt.Tests")]
[assembly: InternalsVisibleTo("GameCrypt.Bench")]
