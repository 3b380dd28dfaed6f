// Unity: saves and loads a game state sealed with the player's password.
using System.Text;
using GameCrypt;
using GameCrypt.Demo;
using UnityEngine;

public class SaveGameBehaviour : MonoBehaviour
{
    [SerializeField] private string slot = "slot1";
    private SaveGameStore _store;
    private string _password = "";
    private string _state = "{\"level\":1,\"gold\":0}";
    private string _message = "";

    private void Awake()
    {
        _store = new SaveGameStore(Application.persistentDataPath + "/saves", Pbkdf2.RecommendedIterations);
    }

    private void OnGUI()
    {
        GUILayout.BeginArea(new Rect(520, 10, 400, 300));
        GUILayout.Label("Password");
        _password = GUILayout.TextField(_password);
        _state = GUILayout.TextField(_state);
        if (GUILayout.Button("Save"))
        {
            // PBKDF2 takes a fraction of a second: a real game runs this off the main thread.
            _store.Save(slot, _password, Encoding.UTF8.GetBytes(_state));
            _message = "saved " + slot;
        }
        if (GUILayout.Button("Load"))
        {
            byte[] data;
            ResultCode reason;
            if (_store.TryLoad(slot, _password, out data, out reason))
            {
                _state = Encoding.UTF8.GetString(data);
                _message = "loaded " + slot;
            }
            else
            {
                _message = "cannot load " + slot + ": " + GameCryptException.Describe(reason);
            }
        }
        GUILayout.Label(_message);
        GUILayout.EndArea();
    }
}
