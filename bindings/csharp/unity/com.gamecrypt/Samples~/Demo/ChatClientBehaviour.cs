// Unity: a chat client on localhost. It pins the server key's fingerprint (in a shipped game
// it is a constant in the client build; here it comes from the server in the same scene).
using GameCrypt;
using GameCrypt.Demo;
using UnityEngine;

public class ChatClientBehaviour : MonoBehaviour
{
    [SerializeField] private ChatServerBehaviour localServer;
    [SerializeField] private string pinnedFingerprintHex = "";
    private ChatClient _client;
    private string _input = "";

    private void Start()
    {
        byte[] pin = pinnedFingerprintHex.Length == 64 ? FromHex(pinnedFingerprintHex) : localServer.Fingerprint;
        _client = new ChatClient(localServer.Port, pin);
    }

    private static byte[] FromHex(string hex)
    {
        var b = new byte[hex.Length / 2];
        for (int i = 0; i < b.Length; i++) b[i] = System.Convert.ToByte(hex.Substring(i * 2, 2), 16);
        return b;
    }

    private void Update()
    {
        _client.Update();
    }

    private void OnGUI()
    {
        GUILayout.BeginArea(new Rect(10, 320, 500, 300));
        GUILayout.Label("Client: " + _client.Status);
        int first = Mathf.Max(0, _client.Lines.Count - 8);
        for (int i = first; i < _client.Lines.Count; i++) GUILayout.Label(_client.Lines[i]);
        _input = GUILayout.TextField(_input);
        if (GUILayout.Button("Send") && _client.State == ConnectionState.Connected && _input.Length > 0)
        {
            _client.Say(_input);
            _input = "";
        }
        if (GUILayout.Button("Leave") && _client.State == ConnectionState.Connected) _client.Leave();
        GUILayout.EndArea();
    }

    private void OnDestroy()
    {
        if (_client != null) _client.Dispose();
    }
}
