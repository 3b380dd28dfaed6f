// A separate process for LibraryLoadTests: loads the native library the way an application
// does, so that a test can run it with and without the library on the search path.
using System;
using GameCrypt;

internal static class LoadProbe
{
    private static int Main()
    {
        try
        {
            Library.EnsureLoaded();
            Console.WriteLine("loaded " + Library.NativeVersion);
            return 0;
        }
        catch (DllNotFoundException e)
        {
            Console.WriteLine(e.Message);
            return 3;
        }
    }
}
